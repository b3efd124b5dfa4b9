//! The *counter* benchmark app: `bench-counter --server.port 8501`.

fn main() -> brooklet::Result<()> {
    brooklet::App::new(brooklet_bench::apps::counter).run()
}
