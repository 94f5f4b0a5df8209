import Foundation

/// The receivers' map on the Loa page: their latitude and longitude from `receivers.yaml`, drawn as SVG
/// without tiles (the gateway may have no internet). An equirectangular projection (longitude scaled by the
/// cosine of the middle latitude, so a commune's few kilometres keep their shape) fitted to the receivers'
/// bounding box with a margin: west is left, north is up.
struct ReceiverMap {
    /// One receiver placed on the map, in the SVG's user units.
    struct Marker {
        var id: String
        var x: Double
        var y: Double
    }

    /// The SVG's width in user units; its height follows the receivers' spread, within `maximumHeight`. Small
    /// enough that a marker (``radius``) stays a finger's width on a phone's 300 px wide map.
    static let width = 480.0
    static let maximumHeight = 480.0
    static let minimumHeight = 200.0
    /// A marker's radius, in user units.
    static let radius = 12.0
    /// Room around the outermost markers for their radius and focus ring.
    static let margin = 24.0
    /// The least spread drawn, in degrees (about 100 m): one receiver, or several on one pole, still fit.
    static let minimumSpan = 0.001

    let width: Double
    let height: Double
    let markers: [Marker]

    /// Places every receiver that has both coordinates (the others are not on the map).
    init(points: [(id: String, latitude: Double, longitude: Double)]) {
        let points = points.filter { $0.latitude.isFinite && $0.longitude.isFinite }
        guard let first = points.first else {
            width = Self.width
            height = Self.minimumHeight
            markers = []
            return
        }
        var south = first.latitude
        var north = first.latitude
        var west = first.longitude
        var east = first.longitude
        for point in points {
            south = min(south, point.latitude)
            north = max(north, point.latitude)
            west = min(west, point.longitude)
            east = max(east, point.longitude)
        }
        let squeeze = cos((south + north) / 2 * .pi / 180)
        let spanX = max((east - west) * squeeze, Self.minimumSpan)
        let spanY = max(north - south, Self.minimumSpan)
        let inner = Self.width - 2 * Self.margin
        let scale = min(inner / spanX, (Self.maximumHeight - 2 * Self.margin) / spanY)
        let height = max(spanY * scale + 2 * Self.margin, Self.minimumHeight)
        // Centred both ways: a spread narrower than the box (or a single point) sits in its middle.
        let left = (Self.width - (east - west) * squeeze * scale) / 2
        let top = (height - (north - south) * scale) / 2
        self.width = Self.width
        self.height = height
        markers = points.map { point in
            Marker(
                id: point.id,
                x: Self.rounded(left + (point.longitude - west) * squeeze * scale),
                y: Self.rounded(top + (north - point.latitude) * scale)
            )
        }
    }

    /// One decimal is a sixth of a pixel on a desktop: enough, and it keeps 1,000 markers lean.
    static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    /// A coordinate as the SVG attribute says it: `12.5`, `300`.
    static func text(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
