#!/usr/bin/env bash
# A real WordPress (Debian's package, 6.1) on 127.0.0.1 for Revoke's tests, without root, apache
# or systemd: a private MariaDB server (own data directory and socket, no TCP) and PHP's built-in
# server, one per site port. Written for this project after the recipe measured in the team's notes
# (docs of what WordPress offers a session tool are in src/connectors/wordpress.ts).
#
#   wordpress.sh start PORT [LISTEN]
#                             start (and on first use install) the site http://127.0.0.1:PORT, PHP
#                             listening on LISTEN (default PORT; another port when a test proxy
#                             stands at PORT); prints shell-style lines WP_BASE= WP_USER= WP_PASS=
#                             WP_DB_SOCKET= WP_DB_NAME= WP_DB_USER= WP_DB_PASS= WP_PREPEND=
#   wordpress.sh stop PORT    stop that site's PHP server; MariaDB too once no site runs
#
# Debian's /usr/share/wordpress/wp-config.php only reads /etc/wordpress/config-<host>.php, which
# needs root to write. Instead each site gets a directory of symlinks to the package's files with
# its own wp-config.php, and PHP's auto_prepend_file points WordPress's ABSPATH there (wp-load.php
# keeps an ABSPATH that is already defined). State lives in $REVOKE_WP_STATE (default
# ${TMPDIR:-/tmp}/revoke-wordpress) and is kept between runs, so a start after the first is ~1 s.
# Packages: `npm run setup` installs wordpress, its default theme (wordpress-theme-twentytwentythree,
# so the front page renders as on a real site, admin bar and its "Log Out" included), mariadb-server,
# php-cli and php-mysql.
set -euo pipefail

CMD=${1:?usage: wordpress.sh start|stop PORT}
PORT=${2:?usage: wordpress.sh start|stop PORT}
LISTEN=${3:-$PORT}
[[ $PORT =~ ^[0-9]+$ && $LISTEN =~ ^[0-9]+$ ]] || { echo "wordpress.sh: bad port $PORT $LISTEN" >&2; exit 2; }
HOST=127.0.0.1
BASE="http://$HOST:$PORT"
WP=/usr/share/wordpress
STATE=${REVOKE_WP_STATE:-${TMPDIR:-/tmp}/revoke-wordpress}
DB_DIR=$STATE/mariadb
SOCK=$STATE/mysqld.sock
DB_PID=$STATE/mysqld.pid
SITE=$STATE/site-$PORT
PHP_PID=$SITE/php.pid
DB_NAME=revoke_wp_$PORT
DB_USER=revoke_wp
DB_PASS=revoke-wp-db-pass
WP_USER=alice
WP_PASS=alice-wordpress-pass-1
WP_EMAIL=alice@example.com

log() { echo "[wordpress.sh $PORT] $*" >&2; }
mkdir -p "$STATE"
# Starts and stops of several sites (connector cases, e2e) may overlap: one at a time.
exec 9>"$STATE/lock"
flock 9  # (servers started below close fd 9, or they would hold the lock)

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
as_root_sql() { mariadb --no-defaults --socket="$SOCK" -u root "$@"; }

stop_php() {
  alive "$PHP_PID" || { rm -f "$PHP_PID"; return 0; }
  local pid kids
  pid=$(cat "$PHP_PID")
  # PHP_CLI_SERVER_WORKERS forks workers that keep listening if only the parent goes.
  kids=$(ps -o pid= --ppid "$pid" | tr -s ' \n' ' ')
  kill "$pid" $kids 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$PHP_PID"
}

stop_db() {
  alive "$DB_PID" || return 0
  local pid
  pid=$(cat "$DB_PID")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
}

if [ "$CMD" = stop ]; then
  stop_php
  if ! ls "$STATE"/site-*/php.pid >/dev/null 2>&1; then stop_db; fi
  exit 0
fi
[ "$CMD" = start ] || { echo "wordpress.sh: unknown command $CMD" >&2; exit 2; }

for bin in php mariadbd mariadb-install-db; do
  command -v "$bin" >/dev/null || [ -x "/usr/sbin/$bin" ] || { echo "wordpress.sh: $bin is missing; run npm run setup" >&2; exit 3; }
done
[ -f "$WP/wp-load.php" ] || { echo "wordpress.sh: Debian's wordpress package is missing; run npm run setup" >&2; exit 3; }
export PATH="$PATH:/usr/sbin"

# ---- MariaDB: a private server on a unix socket, root by unix_socket authentication (this OS user)
if ! alive "$DB_PID"; then
  if [ ! -d "$DB_DIR/mysql" ]; then
    log "creating the MariaDB data directory"
    rm -rf "$DB_DIR"
    mariadb-install-db --no-defaults --datadir="$DB_DIR" --user="$(id -un)" \
      --auth-root-authentication-method=socket --skip-test-db >"$STATE/install-db.log" 2>&1 \
      || { tail -20 "$STATE/install-db.log" >&2; exit 1; }
  fi
  nohup mariadbd --no-defaults --datadir="$DB_DIR" --socket="$SOCK" --pid-file="$DB_PID" \
    --skip-networking --user="$(id -un)" --innodb-buffer-pool-size=32M --skip-log-bin \
    >"$STATE/mariadb.log" 2>&1 </dev/null 9>&- &
  for _ in $(seq 150); do as_root_sql -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.1; done
  as_root_sql -e 'SELECT 1' >/dev/null || { log "MariaDB did not start"; tail -20 "$STATE/mariadb.log" >&2; exit 1; }
fi
as_root_sql <<SQL
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL PRIVILEGES ON \`revoke\_wp\_%\`.* TO '$DB_USER'@'localhost';
SQL

# ---- The site's directory: the package's files, its own wp-config.php
mkdir -p "$SITE/www"
for entry in "$WP"/* "$WP"/.htaccess; do
  name=$(basename "$entry")
  [ "$name" = wp-config.php ] || ln -sfn "$entry" "$SITE/www/$name"
done
if [ ! -s "$SITE/salts.php" ]; then
  php -r 'echo "<?php\n"; foreach (["AUTH_KEY","SECURE_AUTH_KEY","LOGGED_IN_KEY","NONCE_KEY","AUTH_SALT","SECURE_AUTH_SALT","LOGGED_IN_SALT","NONCE_SALT"] as $k) printf("define(%s, %s);\n", var_export($k, true), var_export(bin2hex(random_bytes(32)), true));' >"$SITE/salts.php.tmp"
  mv "$SITE/salts.php.tmp" "$SITE/salts.php"
fi
cat >"$SITE/www/wp-config.php" <<PHP
<?php
// Written by test/servers/wordpress/wordpress.sh for $BASE.
define('DB_NAME', '$DB_NAME');
define('DB_USER', '$DB_USER');
define('DB_PASSWORD', '$DB_PASS');
define('DB_HOST', 'localhost:$SOCK');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
require __DIR__ . '/../salts.php';
\$table_prefix = 'wp_';
define('WP_HOME', '$BASE');
define('WP_SITEURL', '$BASE');
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
// Application passwords need https, or an environment type of 'local' (this is plain http).
define('WP_ENVIRONMENT_TYPE', 'local');
// No outbound requests and no background jobs that call the site back through php -S.
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
require_once ABSPATH . 'wp-settings.php';
PHP
printf "<?php\nif (!defined('ABSPATH')) define('ABSPATH', %s);\n" "'$SITE/www/'" >"$SITE/prepend.php"
# opcache: WordPress compiles ~100 files a request; cached, a page takes a third of the time.
PHP_OPTS=(-d "auto_prepend_file=$SITE/prepend.php" -d display_errors=stderr -d opcache.enable_cli=1)

# ---- Install once (what install.php's step 2 does, without its HTTP round trips)
installed=$(as_root_sql -N -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='$DB_NAME' AND table_name='wp_options'")
if [ "$installed" = 0 ]; then
  log "installing WordPress"
  # (auto_prepend_file does not apply to php -r: the prepend file is required by hand.)
  HTTP_HOST="$HOST:$PORT" PREPEND="$SITE/prepend.php" php -d display_errors=stderr -r '
    require getenv("PREPEND");
    $_SERVER["HTTP_HOST"] = getenv("HTTP_HOST");
    define("WP_INSTALLING", true);
    require ABSPATH . "wp-load.php";
    require ABSPATH . "wp-admin/includes/upgrade.php";
    $r = wp_install("Revoke test site", $argv[1], $argv[3], false, "", $argv[2]);
    if (empty($r["user_id"])) { fwrite(STDERR, "install failed\n"); exit(1); }' \
    "$WP_USER" "$WP_PASS" "$WP_EMAIL" >"$SITE/install.log" 2>&1 || { tail -20 "$SITE/install.log" >&2; exit 1; }
fi

# ---- PHP's server (workers: WordPress's pages and the tests' requests may overlap)
answers() { php -r '$c = @file_get_contents($argv[1], false, stream_context_create(["http" => ["follow_location" => 0, "timeout" => 5]])); exit($c === false ? 1 : 0);' "http://$HOST:$LISTEN/wp-login.php"; }
if ! alive "$PHP_PID"; then
  PHP_CLI_SERVER_WORKERS=4 nohup php "${PHP_OPTS[@]}" -S "$HOST:$LISTEN" -t "$SITE/www" >"$SITE/php.log" 2>&1 </dev/null 9>&- &
  echo $! >"$PHP_PID"
  for _ in $(seq 100); do answers && break; sleep 0.1; done
  answers || { log "PHP's server did not answer"; tail -20 "$SITE/php.log" >&2; stop_php; exit 1; }
fi

cat <<ENV
WP_BASE=$BASE
WP_USER=$WP_USER
WP_PASS=$WP_PASS
WP_DB_SOCKET=$SOCK
WP_DB_NAME=$DB_NAME
WP_DB_USER=$DB_USER
WP_DB_PASS=$DB_PASS
WP_PREPEND=$SITE/prepend.php
ENV
