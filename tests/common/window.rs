//! The station window in a test harness (egui_kittest), shared by `gui.rs` and `soak.rs`: the
//! app started from a setup, stepped as the window's event loop steps it, and waited on.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use tucai::profile::ProfileLibrary;
use tucai::ui::{Command, StationApp, StationSetup};

/// The window under test.
pub type Booth = Harness<'static, Option<StationApp>>;

/// The window of `setup` at booth size, with the CJK font; `snapshots`: rendered by wgpu, so
/// that snapshot images can be taken.
pub fn start(setup: StationSetup, snapshots: bool) -> Booth {
    let builder = Harness::builder().with_size([1360.0, 820.0]).with_context_setup(|ctx| {
        assert!(tucai::ui::install_cjk_font(ctx).is_some(), "a CJK font (packaging/deps-debian.sh)");
    });
    let builder = if snapshots { builder.wgpu() } else { builder };
    let mut harness = builder.build_ui_state(
        |ui, app: &mut Option<StationApp>| {
            if let Some(app) = app {
                app.logic(ui.ctx());
                app.show_ui(ui);
            }
        },
        None,
    );
    let ctx = harness.ctx.clone();
    *harness.state_mut() = Some(StationApp::new(&ctx, setup).expect("app starts"));
    harness
}

/// The built-in profiles, except that the booth in these tests does not judge headwear: the
/// demo camera's first portrait (Grace Hopper) wears her naval cap, which the checks rightly
/// reject (tests/quality.rs, tests/real_photos.rs), and these tests are about the window's
/// flow from a passing shot to its acceptance, review, print and export.
pub fn demo_profiles() -> Vec<tucai::profile::PhotoSpec> {
    ProfileLibrary::load(&[])
        .profiles()
        .iter()
        .map(|(p, _)| {
            let mut p = p.clone();
            p.checks.headwear_max_fraction = 1.0;
            p
        })
        .collect()
}

pub fn app(h: &Booth) -> &StationApp {
    h.state().as_ref().expect("app")
}

/// Sends `command` as a button or key would, and draws the next frame.
pub fn send(h: &mut Booth, command: Command) {
    h.state_mut().as_mut().expect("app").send(command);
    h.step();
}

/// Steps frames until `done` holds (the workers run on their own threads meanwhile).
pub fn step_until(h: &mut Booth, what: &str, done: impl Fn(&StationApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        h.step();
        if done(app(h)) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {what}; the station shows {:?}", app(h).view());
        std::thread::sleep(Duration::from_millis(5));
    }
}
