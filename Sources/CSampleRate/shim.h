#ifndef LOA_CSAMPLERATE_SHIM_H
#define LOA_CSAMPLERATE_SHIM_H
#include <samplerate.h>
#endif
