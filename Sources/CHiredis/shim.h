#ifndef KNOCKER_CHIREDIS_SHIM_H
#define KNOCKER_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
