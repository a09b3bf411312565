//! Problems a learner reports on a card or question, kept for the pack's author
//! (`coldstart export reports`).

use crate::store::{ReportItem, ReportReason};

use super::{AppState, NoticeLevel};

impl AppState {
    /// Stores a report on card or question `item_id`; says where it goes.
    pub fn report_problem(
        &mut self,
        item: ReportItem,
        item_id: &str,
        reason: ReportReason,
        note: &str,
    ) -> bool {
        let pack_id = self.pack.meta.id.clone();
        let now = self.now_ms();
        match self
            .store
            .report_problem(&pack_id, item, item_id, reason, note, now)
        {
            Ok(_) => {
                self.notify(
                    NoticeLevel::Info,
                    "Thank you: the problem is saved. `coldstart export reports` hands it to the \
                     pack's author.",
                );
                true
            }
            Err(e) => {
                self.report("save the problem report", &e);
                false
            }
        }
    }
}
