fn main() {
    // If anything ever panics, the console says where instead of the page dying silently.
    console_error_panic_hook::set_once();
    wsprobe::glue::page::remove_loading_shell();
    if wsprobe::glue::page::framed_by_another_site() {
        leptos::mount::mount_to_body(wsprobe::components::framed_notice::FramedNotice);
    } else {
        leptos::mount::mount_to_body(wsprobe::app::App);
    }
}
