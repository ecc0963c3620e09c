fn main() {
    // If anything ever panics, the console says where instead of the page dying silently.
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(wsprobe::app::App);
}
