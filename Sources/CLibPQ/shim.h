#ifndef KNOCKER_CLIBPQ_SHIM_H
#define KNOCKER_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#include <poll.h>
#endif
