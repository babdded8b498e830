# Shared by tests/bench/bench-fetch and tests/bench/bench-memory (sourced,
# not run): dependency checks, a private loopback nginx, timed runs.
#
# Everything lives under $T (a temp dir made by the caller); nginx is
# started in the foreground (daemon off) in the background of this shell,
# and stopped by its PID from the caller's EXIT trap (bench_cleanup).

PY=/usr/bin/python3		# Debian's: python3-aiohttp/lxml/scrapy live there
NGINX_PID=
NGINX=${NGINX:-}

bench_die() {
	echo "${0##*/}: $*" >&2
	exit 2
}

# bench_need_deps scrapy|noscrapy: print what is missing and the apt-get
# line, and exit 2; scrapy alone missing only drops the scrapy peer when
# the caller says it may (SCRAPY=0 then).
bench_need_deps() {
	want_scrapy=$1
	missing= pkgs=
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] ||
	    { missing="$missing nginx"; pkgs="$pkgs nginx-light"; }
	command -v curl >/dev/null 2>&1 ||
	    { missing="$missing curl"; pkgs="$pkgs curl"; }
	[ -x /usr/bin/time ] ||
	    { missing="$missing /usr/bin/time"; pkgs="$pkgs time"; }
	[ -x "$PY" ] ||
	    { missing="$missing $PY"; pkgs="$pkgs python3"; }
	if [ "$want_scrapy" = scrapy ]; then
		"$PY" -c 'import aiohttp' 2>/dev/null ||
		    { missing="$missing aiohttp"; pkgs="$pkgs python3-aiohttp"; }
		"$PY" -c 'import lxml.html' 2>/dev/null ||
		    { missing="$missing lxml"; pkgs="$pkgs python3-lxml"; }
	fi
	if [ -n "$missing" ]; then
		echo "${0##*/}: missing:$missing" >&2
		echo "  install with: apt-get install -y$pkgs" >&2
		exit 2
	fi
	SCRAPY=1
	if [ "$want_scrapy" = scrapy ] &&
	    ! "$PY" -c 'import scrapy' 2>/dev/null; then
		echo "${0##*/}: Scrapy not importable by $PY: the scrapy peer is" \
		    "skipped (apt-get install -y python3-scrapy)" >&2
		SCRAPY=0
	fi
	[ -n "$NGINX" ] && [ -x "$NGINX" ] || NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

# A TCP port free on the loopback addresses we use.
bench_pick_port() {
	used=$(ss -Hltn 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }')
	for _ in $(seq 1 200); do
		p=$((20000 + RANDOM % 30000))
		echo "$used" | grep -qx "$p" || { echo "$p"; return; }
	done
	bench_die "no free port found"
}

# bench_nginx_start ADDRFILE PORT MODE
#   ADDRFILE: one IPv4 loopback address per line, one listen line each
#   MODE pages: /p/<anything>/<N> serves $T/pages/<N>.html (regex
#               location, no copy per URL)
#   MODE tiny:  every path answers 200 with one small article page
#   NGINX_LOG=1 logs "$msec $server_addr $request_time $request_uri" to
#   $T/nginx/access.log (the rate scenario checks the spacing with it);
#   otherwise access_log is off.
bench_nginx_start() {
	addrs=$1 port=$2 mode=$3
	mkdir -p "$T/nginx/tmp"
	n=$(wc -l <"$addrs")
	conns=$((n + 4096))
	{
		# As root, nginx would run its worker as nobody, who cannot
		# read $T (mode 700): keep it as the invoking user.
		[ "$(id -u)" = 0 ] && echo "user root;"
		cat <<EOF
worker_processes ${NGINX_WORKERS:-1};
worker_rlimit_nofile $((conns * 2 + 1024));
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log warn;
events { worker_connections $conns; use epoll; multi_accept on; }
http {
EOF
		if [ -n "${NGINX_LOG:-}" ]; then
			echo "	log_format t '\$msec \$server_addr \$request_time \$request_uri';"
			echo "	access_log $T/nginx/access.log t;"
		else
			echo "	access_log off;"
		fi
		cat <<EOF
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	keepalive_timeout 120s;
	keepalive_requests 1000000;
	server_tokens off;
	default_type text/html;
	gzip off;
	client_body_temp_path $T/nginx/tmp/body;
	proxy_temp_path $T/nginx/tmp/proxy;
	fastcgi_temp_path $T/nginx/tmp/fastcgi;
	uwsgi_temp_path $T/nginx/tmp/uwsgi;
	scgi_temp_path $T/nginx/tmp/scgi;
	server {
EOF
		sed "s/.*/		listen &:$port backlog=4096;/" "$addrs"
		if [ "$mode" = pages ]; then
			cat <<EOF
		root $T/pages;
		location ~ ^/p/.*/([^/]+)\$ {
			try_files /\$1.html =404;
		}
		location / { return 404; }
EOF
		else
			words=$(printf 'word%d ' $(seq 1 80))
			cat <<EOF
		location / {
			return 200 "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>A small page</title></head><body><article><h1>A small page</h1><p>$words</p><p>The second paragraph of the small page, for the extractor to keep.</p></article></body></html>";
		}
EOF
		fi
		echo "	}"
		echo "}"
	} >"$T/nginx/nginx.conf"
	"$NGINX" -t -q -p "$T/nginx/" -c "$T/nginx/nginx.conf" \
	    -e "$T/nginx/error.log" 2>"$T/nginx/test.log" ||
	    { cat "$T/nginx/test.log" >&2; bench_die "nginx config test failed"; }
	ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
	"$NGINX" -p "$T/nginx/" -c "$T/nginx/nginx.conf" -e "$T/nginx/error.log" \
	    -g 'daemon off;' 2>>"$T/nginx/error.log" &
	NGINX_PID=$!
	first=$(head -n 1 "$addrs") last=$(tail -n 1 "$addrs")
	for _ in $(seq 1 100); do
		if curl -s -o /dev/null "http://$first:$port/" &&
		    curl -s -o /dev/null "http://$last:$port/"; then
			return 0
		fi
		kill -0 "$NGINX_PID" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$T/nginx/error.log" >&2
	bench_die "nginx did not come up on $first..$last:$port"
}

bench_nginx_stop() {
	if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
		kill -TERM "$NGINX_PID" 2>/dev/null
		for _ in $(seq 1 50); do
			kill -0 "$NGINX_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
	fi
	NGINX_PID=
}

bench_cleanup() {
	bench_nginx_stop
	if [ -n "${KEEP:-}" ]; then
		echo "kept $T" >&2
	else
		rm -rf "$T"
	fi
}

# CPU seconds (user+sys) nginx has used so far, master and workers.
bench_nginx_cpu() {
	[ -n "$NGINX_PID" ] || { echo 0; return; }
	tck=$(getconf CLK_TCK)
	for p in $NGINX_PID $(pgrep -P "$NGINX_PID"); do
		[ -r "/proc/$p/stat" ] && sed 's/.*) //' "/proc/$p/stat"
	done | awk -v t="$tck" '{ s += $12 + $13 } END { printf "%.2f\n", s / t }'
}

# CPU seconds the whole machine has been busy so far (all CPUs, from
# /proc/stat): with the tool's and nginx's own CPU taken away, what is left
# is other processes' load during a run (the machine may be shared).
bench_busy_cpu() {
	awk -v t="$(getconf CLK_TCK)" '/^cpu / {
	    printf "%.2f\n", ($2 + $3 + $4 + $7 + $8 + $9) / t }' /proc/stat
}

# bench_timed LIMIT TIMEFILE LOG cmd...: run cmd under /usr/bin/time
# (wall, user, sys of the process and its waited-for children, peak RSS
# in KB of the largest one), bounded by LIMIT seconds; TIMEFILE gets
# "wall user sys maxrss_kb exit".
bench_timed() {
	limit=$1 tf=$2 log=$3
	shift 3
	rc=0
	/usr/bin/time -f '%e %U %S %M %x' -o "$tf" \
	    timeout -k 5 "$limit" "$@" >>"$log" 2>&1 || rc=$?
	[ -s "$tf" ] || echo "0 0 0 0 $rc" >"$tf"
	# time(1) writes "Command exited with non-zero status N" first.
	tail -n 1 "$tf" >"$tf.x" && mv "$tf.x" "$tf"
	return 0
}
