#ifndef LOA_CMOSQUITTO_SHIM_H
#define LOA_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#include <mqtt_protocol.h>
#endif
