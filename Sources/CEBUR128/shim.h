#ifndef LOA_CEBUR128_SHIM_H
#define LOA_CEBUR128_SHIM_H
#include <ebur128.h>
#endif
