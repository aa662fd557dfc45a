#ifndef KNOCKER_CARGON2_SHIM_H
#define KNOCKER_CARGON2_SHIM_H
#include <argon2.h>
#endif
