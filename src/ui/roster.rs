//! The roster screen: import a CSV or XLSX file (file chooser via rfd), search, see each
//! student's status. Reading and importing run on the store thread.

use std::path::PathBuf;

use eframe::egui;

use super::palette;

use super::app::{Command, Reply, StationApp, roster_size};
use crate::i18n::window::Notice;
use crate::i18n::{Said, Say};
use crate::roster::{Roster, RowProblem, demo_roster, read_roster};
use crate::store::Student;

/// Rows shown at once; searching narrows them.
const SHOWN: usize = 500;

/// The roster screen's state.
#[derive(Default)]
pub(super) struct RosterState {
    pub(super) query: String,
    /// `None` while searching.
    pub(super) results: Option<Vec<Student>>,
    /// The refused rows of the last import, with their lines.
    pub(super) problems: Vec<RowProblem>,
}

impl StationApp {
    pub(super) fn import_roster(&mut self, path: PathBuf) {
        self.import_with(move || read_roster(&path).map_err(|e| Box::new(e) as Said));
    }

    pub(super) fn load_demo_roster(&mut self) {
        self.import_with(|| Ok(demo_roster()));
    }

    /// Reads a roster with `read` and imports its good rows, on the store thread.
    fn import_with(&mut self, read: impl FnOnce() -> Result<Roster, Said> + Send + 'static) {
        let Some(actor) = self.actor.clone() else { return };
        self.ask(move |store| {
            let result = read().and_then(|roster| {
                let counts = store.import_students(&actor, &roster.records).map_err(|e| Box::new(e) as Said)?;
                let mut problems = roster.problems.clone();
                problems.extend(roster.kept_lines(&counts));
                Ok((counts, problems))
            });
            Reply::Imported { result, roster_size: roster_size(store).ok() }
        });
    }

    pub(super) fn search_roster(&mut self, text: String) {
        self.roster.query = text.clone();
        self.ask(move |store| Reply::RosterFound(store.search_students(&text, SHOWN)));
    }

    pub(super) fn roster_screen(&mut self, ui: &mut egui::Ui) {
        let s = self.s();
        ui.horizontal(|ui| {
            ui.heading(s.roster_title);
            if let Some(n) = self.roster_count {
                ui.label(format!("({n})"));
            }
            if ui.add_enabled(self.file_dialog.is_none(), egui::Button::new(s.import_roster)).clicked() {
                self.send(Command::PickRosterFile);
            }
            if self.roster_count == Some(0) && ui.button(s.load_demo_roster).clicked() {
                self.send(Command::LoadDemoRoster);
            }
        });
        ui.horizontal(|ui| {
            let mut query = self.roster.query.clone();
            let field = ui.add(egui::TextEdit::singleline(&mut query).hint_text(s.search).desired_width(320.0));
            if field.changed() {
                self.send(Command::SearchRoster(query));
            }
        });
        if !self.roster.problems.is_empty() {
            ui.colored_label(palette::BAD, Notice::ImportProblems(self.roster.problems.len()).say(self.lang));
            for p in self.roster.problems.iter().take(8) {
                ui.label(format!("  {}", p.say(self.lang)));
            }
        }
        ui.separator();
        let Some(results) = &self.roster.results else {
            ui.spinner();
            return;
        };
        if results.len() == SHOWN {
            ui.label(Notice::ShownOf(SHOWN).say(self.lang));
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("roster-grid").striped(true).num_columns(6).spacing([18.0, 4.0]).show(ui, |ui| {
                for h in [s.col_no, s.col_name, s.col_id, s.col_college, s.col_class, s.col_status] {
                    ui.strong(h);
                }
                ui.end_row();
                for st in results {
                    let r = &st.record;
                    ui.label(&r.student_no);
                    ui.label(&r.name);
                    ui.label(st.id_number_for(false));
                    ui.label(&r.college);
                    ui.label(&r.class);
                    ui.label(st.status.say(self.lang));
                    ui.end_row();
                }
            });
        });
    }
}
