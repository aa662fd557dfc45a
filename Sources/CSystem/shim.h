#ifndef KNOCKER_CSYSTEM_SHIM_H
#define KNOCKER_CSYSTEM_SHIM_H
/* POSIX and GNU calls Swift cannot reach directly (GNU extensions, variadic functions, packed structs).
 *
 * No _GNU_SOURCE here: system headers compiled with other feature macros than the other C modules' (Glibc,
 * CMicroHTTPD…) give structs such as fd_set two different definitions, which clang refuses when the modules meet. The
 * GNU functions used are declared below with glibc's own prototypes instead. */
#include <pthread.h>
#include <string.h>
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

/* glibc's getaddrinfo codes for "no address of that family" (netdb.h declares them only under _GNU_SOURCE). */
static const int knocker_eai_nodata = -5;
static const int knocker_eai_addrfamily = -9;

/* GNU extensions of glibc's pthread.h (declared there only under _GNU_SOURCE). */
extern int pthread_setname_np(pthread_t thread, const char *name);
extern int pthread_getname_np(pthread_t thread, char *name, size_t length);

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

/* epoll without the packed struct epoll_event crossing into Swift: the fd is the registration's key. */
static inline int knocker_epoll_control(int epfd, int op, int fd, uint32_t events) {
    struct epoll_event event;
    memset(&event, 0, sizeof event);
    event.events = events;
    event.data.fd = fd;
    return epoll_ctl(epfd, op, fd, &event);
}

/* Waits like epoll_wait and unpacks up to max (at most 256) ready registrations into fds[i] / events[i]. */
static inline int knocker_epoll_wait(int epfd, int *fds, uint32_t *events, int max, int timeout_ms) {
    struct epoll_event ready[256];
    if (max > 256) max = 256;
    int count = epoll_wait(epfd, ready, max, timeout_ms);
    for (int i = 0; i < count; i++) {
        fds[i] = ready[i].data.fd;
        events[i] = ready[i].events;
    }
    return count;
}

/* errno of the calling thread. */
static inline int knocker_errno(void) { return errno; }
#endif
