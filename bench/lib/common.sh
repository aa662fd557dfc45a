# Helpers the benchmark scripts share (sourced, not run).

# A free TCP port on 127.0.0.1: bind to port 0 and read back what the kernel chose.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Writes an nginx config under DIR/nginx that listens on 127.0.0.1:PORT and answers every request with 200 "ok".
#   write_nginx_conf DIR PORT
write_nginx_conf() {
    local dir="$1" port="$2"
    mkdir -p "$dir/nginx"
    cat >"$dir/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
$( [ "$(id -u)" = 0 ] && echo "user root;" )
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path $dir/nginx/body;
    proxy_temp_path $dir/nginx/proxy;
    fastcgi_temp_path $dir/nginx/fastcgi;
    uwsgi_temp_path $dir/nginx/uwsgi;
    scgi_temp_path $dir/nginx/scgi;
    server {
        listen 127.0.0.1:$port backlog=4096;
        location / { return 200 "ok\n"; }
    }
}
CONF
}

# Makes sure each COMMAND exists: as root, installs the Debian PACKAGE of every missing one with apt-get (running
# `apt-get update` first when the install fails on stale lists); otherwise names the packages to install and exits 1.
#   require_commands COMMAND=PACKAGE ...      (COMMAND may be an absolute path, e.g. /usr/sbin/nginx=nginx)
require_commands() {
    local pair command package wanted=()
    for pair in "$@"; do
        command="${pair%%=*}" package="${pair#*=}"
        if [[ "$command" == /* ]]; then
            [ -x "$command" ] && continue
        else
            command -v "$command" >/dev/null && continue
        fi
        wanted+=("$package")
    done
    [ "${#wanted[@]}" -gt 0 ] || return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        echo "missing: ${wanted[*]} (as root: apt-get install ${wanted[*]})" >&2
        exit 1
    fi
    echo "installing ${wanted[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "${wanted[@]}" >/dev/null 2>&1 || {
        apt-get update >/dev/null && apt-get install -y --no-install-recommends "${wanted[@]}" >/dev/null
    }
}
