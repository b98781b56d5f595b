//! The hub's connection pool: TCP connections to PostgreSQL send without Nagle's delay.
#![cfg(target_os = "linux")]

use agora_hub::app;
use agora_hub::config::Config;
use sqlx::PgPool;

/// The TCP socket of this process bound to `port`, asked whether TCP_NODELAY is set.
fn no_delay_of_local_port(port: u16) -> Option<bool> {
    for fd in std::fs::read_dir("/proc/self/fd").ok()?.flatten() {
        let Some(fd) = fd.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        // SAFETY: the descriptor is only asked for its address and an option while the
        // connection that owns it is held open by this test.
        let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
        let socket = socket2::SockRef::from(&fd);
        if socket
            .local_addr()
            .ok()
            .and_then(|a| a.as_socket())
            .is_some_and(|a| a.port() == port)
        {
            return socket.tcp_nodelay().ok();
        }
    }
    None
}

#[sqlx::test]
async fn pooled_connections_turn_nagle_off(_db: PgPool) {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL is set for database tests");
    let config = Config {
        database_url: url,
        ..Config::default()
    };
    let pool = app::pool(&config).unwrap();
    let mut conns = Vec::new();
    for _ in 0..2 {
        let mut conn = pool.acquire().await.unwrap();
        let port: Option<i32> = sqlx::query_scalar("SELECT inet_client_port()")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let port = u16::try_from(port.expect("a TCP connection")).unwrap();
        assert_eq!(no_delay_of_local_port(port), Some(true), "port {port}");
        conns.push(conn);
    }
}
