fn main() {
    app::crash::install();
    leptos::mount::mount_to_body(app::App);
}
