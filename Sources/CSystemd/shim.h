#ifndef LOA_CSYSTEMD_SHIM_H
#define LOA_CSYSTEMD_SHIM_H
#include <systemd/sd-daemon.h>
#endif
