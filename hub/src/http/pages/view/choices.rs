//! The choices of the list pages' filters.

use agora_schemas::MlTask;

use super::Choice;
use crate::i18n::Lang;

pub fn task_choices(lang: Lang, current: &str) -> Vec<Choice> {
    Choice::list(
        MlTask::ALL
            .into_iter()
            .map(|t| (t.as_str().to_string(), super::task_label(lang, t))),
        current,
    )
}
