//! Code lists: ISO 639-1 languages, GSBPM 5.1 sub-processes and the Hugging Face Hub's
//! licence ids.

/// The 183 two-letter codes of ISO 639-1, sorted.
pub const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
    "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
    "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
    "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
    "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
    "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
    "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
    "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
    "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
    "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Sub-processes of the Generic Statistical Business Process Model, version 5.1.
pub const GSBPM_SUBPROCESSES: &[(&str, &str)] = &[
    ("1.1", "Identify needs"),
    ("1.2", "Consult and confirm needs"),
    ("1.3", "Establish output objectives"),
    ("1.4", "Identify concepts"),
    ("1.5", "Check data availability"),
    ("1.6", "Prepare and submit business case"),
    ("2.1", "Design outputs"),
    ("2.2", "Design variable descriptions"),
    ("2.3", "Design collection"),
    ("2.4", "Design frame and sample"),
    ("2.5", "Design processing and analysis"),
    ("2.6", "Design production systems and workflow"),
    ("3.1", "Reuse or build collection instruments"),
    ("3.2", "Reuse or build processing and analysis components"),
    ("3.3", "Reuse or build dissemination components"),
    ("3.4", "Configure workflows"),
    ("3.5", "Test production systems"),
    ("3.6", "Test statistical business process"),
    ("3.7", "Finalise production systems"),
    ("4.1", "Create frame and select sample"),
    ("4.2", "Set up collection"),
    ("4.3", "Run collection"),
    ("4.4", "Finalise collection"),
    ("5.1", "Integrate data"),
    ("5.2", "Classify and code"),
    ("5.3", "Review and validate"),
    ("5.4", "Edit and impute"),
    ("5.5", "Derive new variables and units"),
    ("5.6", "Calculate weights"),
    ("5.7", "Calculate aggregates"),
    ("5.8", "Finalise data files"),
    ("6.1", "Prepare draft outputs"),
    ("6.2", "Validate outputs"),
    ("6.3", "Interpret and explain outputs"),
    ("6.4", "Apply disclosure control"),
    ("6.5", "Finalise outputs"),
    ("7.1", "Update output systems"),
    ("7.2", "Produce dissemination products"),
    ("7.3", "Manage release of dissemination products"),
    ("7.4", "Promote dissemination products"),
    ("7.5", "Manage user support"),
    ("8.1", "Gather evaluation inputs"),
    ("8.2", "Conduct evaluation"),
    ("8.3", "Agree an action plan"),
];

/// Licence ids the Hugging Face Hub lists for cards that are not SPDX identifiers (or are
/// families of them); SPDX identifiers are checked against the `spdx` crate.
pub const HUB_LICENSES: &[&str] = &[
    "other",
    "unknown",
    "openrail",
    "openrail++",
    "bigscience-openrail-m",
    "creativeml-openrail-m",
    "bigscience-bloom-rail-1.0",
    "bigcode-openrail-m",
    "bsd",
    "c-uda",
    "cc",
    "gfdl",
    "gpl",
    "lgpl",
    "lgpl-lr",
    "odc-by",
    "odbl",
    "pddl",
    "deepfloyd-if-license",
    "llama2",
    "llama3",
    "llama3.1",
    "llama3.2",
    "llama3.3",
    "llama4",
    "gemma",
    "apple-amlr",
    "apple-ascl",
    "fair-noncommercial-research-license",
    "intel-research",
    "h-research",
    "cdla-sharing-1.0",
    "cdla-permissive-1.0",
    "cdla-permissive-2.0",
    "etalab-2.0",
    "ecl-2.0",
    "ms-pl",
    "ncsa",
    "lppl-1.3c",
    "ofl-1.1",
    "osl-3.0",
    "postgresql",
    "wtfpl",
    "zlib",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_are_sorted_and_unique() {
        assert!(ISO_639_1.windows(2).all(|w| w[0] < w[1]));
    }
}
