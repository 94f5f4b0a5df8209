// The core uses Foundation's essentials only (Date, Data, JSON coding, Calendar, FileManager), never full
// Foundation, so a receiver's binary links no ICU (issue 19). Every file of the core sees them through this one
// import; on platforms without the split, that is Foundation.
#if canImport(FoundationEssentials)
@_exported import FoundationEssentials
#else
@_exported import Foundation
#endif
