#ifndef TEMOIN_CDEFLATE_SHIM_H
#define TEMOIN_CDEFLATE_SHIM_H
#include <libdeflate.h>
#endif
