#ifndef KNOCKER_CSYSTEM_SHIM_H
#define KNOCKER_CSYSTEM_SHIM_H
/* POSIX and GNU calls Swift cannot reach directly (GNU extensions, variadic functions). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <string.h>

/* Names the calling OS thread (at most 15 bytes are kept), as shown by top -H and in core dumps. */
static inline int knocker_set_current_thread_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = '\0';
    return pthread_setname_np(pthread_self(), truncated);
}

/* Copies the calling OS thread's name into buffer. */
static inline int knocker_get_current_thread_name(char *buffer, size_t length) {
    return pthread_getname_np(pthread_self(), buffer, length);
}
#endif
