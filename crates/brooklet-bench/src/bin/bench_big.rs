//! The *big* benchmark app: `bench-big --server.port 8501`.

fn main() -> brooklet::Result<()> {
    brooklet::App::new(brooklet_bench::apps::big).run()
}
