#ifndef KNOCKER_CMICROHTTPD_SHIM_H
#define KNOCKER_CMICROHTTPD_SHIM_H
/* No feature macros (like CSystem and Swift's Glibc), so every module sees one definition of fd_set. */
#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <microhttpd.h>

/*
 * Typed wrapper for the variadic MHD_start_daemon: one internal polling thread using epoll (no thread per
 * connection) serving an already bound and listening socket, with bounded connections, idle time and memory.
 * MHD owns listen_fd from then on and closes it in MHD_stop_daemon. (When starting fails the caller does not close
 * it: whether MHD already did is version-dependent, and a leaked fd on that rare path beats a double close.)
 */
static inline struct MHD_Daemon *knocker_mhd_start_daemon(int listen_fd, int ipv6, MHD_AccessHandlerCallback handler,
                                                          void *handler_cls, unsigned int connection_limit,
                                                          unsigned int connection_timeout_seconds,
                                                          size_t connection_memory_limit) {
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY;
    if (ipv6) flags |= MHD_USE_IPv6;
    return MHD_start_daemon(flags, 0, NULL, NULL, handler, handler_cls,
                            MHD_OPTION_LISTEN_SOCKET, (MHD_socket)listen_fd,
                            MHD_OPTION_CONNECTION_LIMIT, connection_limit,
                            MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout_seconds,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, connection_memory_limit,
                            MHD_OPTION_END);
}
#endif
