#ifndef CCLP_SHIM_H
#define CCLP_SHIM_H
#include <Clp_C_Interface.h>
#endif
