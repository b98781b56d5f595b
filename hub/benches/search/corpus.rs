//! A deterministic, realistic corpus of projects and model cards, and a fixed set of
//! queries over it (terms, phrases, typos, facet filters).

use serde_json::{Value, json};

/// splitmix64: the same sequence on every machine and every version.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

pub const ORGANISATIONS: [&str; 40] = [
    "insee",
    "inegi",
    "scb",
    "ons",
    "imf",
    "statcan",
    "istat",
    "destatis",
    "cbs",
    "statfi",
    "ine-es",
    "ine-pt",
    "abs",
    "stats-nz",
    "ssb",
    "dst",
    "cso",
    "statec",
    "bfs",
    "statistik-austria",
    "gus",
    "ksh",
    "czso",
    "ibge",
    "dane",
    "indec",
    "ine-cl",
    "kostat",
    "stats-sa",
    "knbs",
    "eurostat",
    "oecd",
    "unece",
    "worldbank",
    "bls",
    "census-bureau",
    "stat-estonia",
    "csb-latvia",
    "stat-lithuania",
    "cystat",
];
pub const WORKSTREAMS: [&str; 7] = ["ws1", "ws2", "ws3", "ws4", "ws5", "ws6", "ws7"];
const TASKS: [&str; 13] = [
    "coding",
    "classification",
    "regression",
    "imputation",
    "editing",
    "nowcasting",
    "forecasting",
    "record-linkage",
    "imagery",
    "text-extraction",
    "anomaly-detection",
    "web-scraping",
    "other",
];
const FRAMEWORKS: [&str; 9] = [
    "scikit-learn",
    "transformers",
    "fasttext",
    "pytorch",
    "xgboost",
    "lightgbm",
    "tensorflow",
    "spacy",
    "catboost",
];
const LICENCES: [&str; 4] = ["mit", "apache-2.0", "eupl-1.2", "other"];
const LANGUAGES: [&str; 10] = ["en", "fr", "es", "de", "it", "sv", "fi", "nl", "pt", "pl"];
const STAGES: [&str; 5] = ["idea", "pilot", "validated", "production", "maintenance"];

const OBJECTS: [&str; 24] = [
    "occupation",
    "economic activity",
    "industry",
    "product descriptions",
    "causes of death",
    "household expenditure",
    "job vacancies",
    "enterprise websites",
    "land cover",
    "crop yield",
    "building permits",
    "consumer prices",
    "trade flows",
    "time series",
    "addresses",
    "business register",
    "census answers",
    "survey responses",
    "tourism accommodation",
    "energy consumption",
    "scanner data",
    "labour income",
    "road traffic",
    "online job advertisements",
];
const OBJETS: [&str; 10] = [
    "l'activité économique",
    "les dépenses des ménages",
    "les catégories socioprofessionnelles",
    "les entreprises",
    "les prix à la consommation",
    "les données de caisse",
    "l'économie sociale",
    "les séries temporelles",
    "les déclarations d'emploi",
    "les causes de décès",
];
const METHODS: [&str; 12] = [
    "Automated coding of {o}",
    "Machine learning classification of {o}",
    "Imputation of missing {o}",
    "Nowcasting {o} with alternative data",
    "Record linkage of {o} across registers",
    "Editing and validation of {o}",
    "Detecting anomalies in {o}",
    "Web scraping for {o}",
    "Satellite imagery to estimate {o}",
    "Text extraction from {o}",
    "Forecasting {o} for early estimates",
    "Quality indicators for models of {o}",
];
const METHODES: [&str; 5] = [
    "Codification automatique de {o}",
    "Classification de {o} par apprentissage",
    "Imputation pour {o}",
    "Prévision immédiate sur {o}",
    "Détection d'anomalies dans {o}",
];
const SENTENCES: [&str; 20] = [
    "The model is trained on {o} coded by clerks over several survey rounds.",
    "Predictions below a confidence threshold are sent to expert coders for review.",
    "We compare gradient boosting with transformer models and a fastText baseline.",
    "Accuracy is reported at each level of the classification hierarchy.",
    "The pipeline runs monthly on the office's data science platform.",
    "Explainability is assessed with feature importance and example-based explanations.",
    "Training data never leaves the statistical office; only metrics are shared.",
    "A retraining schedule follows drift monitoring on {o}.",
    "The approach reduces manual work while keeping quality at the level of clerical coding.",
    "Results are benchmarked against the previous rule-based system.",
    "The work follows the quality framework for statistical algorithms.",
    "Record linkage keys are hashed before any matching step.",
    "Imagery is processed in tiles and aggregated to administrative areas.",
    "Nowcasts are published two weeks before the first official estimate.",
    "Editing rules flag implausible values before imputation.",
    "Les modèles sont entraînés sur des données administratives et d'enquête.",
    "La qualité est mesurée sur un échantillon contrôlé par des experts.",
    "Open source code is published under a permissive licence.",
    "The project is shared in the workstream so other offices can reuse the model.",
    "Ethical considerations were reviewed with the data protection officer.",
];
const TAGS: [&str; 16] = [
    "nlp",
    "text-classification",
    "census",
    "survey",
    "admin-data",
    "big-data",
    "mlops",
    "gpu",
    "human-in-the-loop",
    "explainability",
    "time-series",
    "geospatial",
    "scanner-data",
    "web-data",
    "privacy",
    "benchmark",
];

fn fill(template: &str, object: &str) -> String {
    template.replace("{o}", object)
}

fn text(rng: &mut Rng, object: &str, sentences: usize) -> String {
    (0..sentences)
        .map(|_| fill(rng.pick(&SENTENCES), object))
        .collect::<Vec<_>>()
        .join(" ")
}

fn title(rng: &mut Rng) -> (String, String, &'static str) {
    if rng.chance(12) {
        let o = rng.pick(&OBJETS);
        (fill(rng.pick(&METHODES), o), o.to_string(), "fr")
    } else {
        let o = rng.pick(&OBJECTS);
        (fill(rng.pick(&METHODS), o), o.to_string(), "en")
    }
}

fn visibility(rng: &mut Rng) -> &'static str {
    match rng.below(10) {
        0..=6 => "public",
        7 | 8 => "members",
        _ => "organisation",
    }
}

/// Project `i`'s JSON input.
pub fn project(i: usize) -> Value {
    let mut rng = Rng::new(0xA60A ^ (i as u64).wrapping_mul(7919));
    let (title, object, lang) = title(&mut rng);
    let org = rng.pick(&ORGANISATIONS);
    let mut orgs = vec![org];
    if rng.chance(15) {
        let other = rng.pick(&ORGANISATIONS);
        if other != org {
            orgs.push(other);
        }
    }
    let mut languages = vec![lang];
    if rng.chance(30) {
        let l = rng.pick(&LANGUAGES);
        if l != lang {
            languages.push(l);
        }
    }
    let tags: Vec<&str> = (0..1 + rng.below(3)).map(|_| rng.pick(&TAGS)).collect();
    let sentences = 2 + rng.below(3);
    json!({
        "slug": format!("p{i}-{}", slug(&object)), "title": title,
        "summary": text(&mut rng, &object, sentences),
        "organisations": orgs, "workstreams": [rng.pick(&WORKSTREAMS)],
        "stage": rng.pick(&STAGES), "task": rng.pick(&TASKS), "languages": languages,
        "domain": object, "tags": dedup(tags), "visibility": visibility(&mut rng),
    })
}

/// Model card `i`'s JSON input; it belongs to one of the first `projects` projects.
pub fn model(i: usize, projects: usize) -> (Value, String) {
    let mut rng = Rng::new(0x30DE1 ^ (i as u64).wrapping_mul(104_729));
    let (title, object, lang) = title(&mut rng);
    let project_i = rng.below(projects.max(1));
    let project = project(project_i);
    let org = project["organisations"][0]
        .as_str()
        .unwrap_or("insee")
        .to_string();
    let tags: Vec<&str> = (0..1 + rng.below(4)).map(|_| rng.pick(&TAGS)).collect();
    let sentences = 5 + rng.below(6);
    let card = json!({
        "organisation": org, "name": format!("m{i}-{}", slug(&object)),
        "title": format!("{title} ({})", rng.pick(&FRAMEWORKS)),
        "summary": text(&mut rng, &object, 2),
        "project": project["slug"], "task": rng.pick(&TASKS), "library_name": rng.pick(&FRAMEWORKS),
        "license": rng.pick(&LICENCES), "language": [lang], "tags": dedup(tags),
        "intended_use": text(&mut rng, &object, 2), "limitations": text(&mut rng, &object, 1),
        "body": text(&mut rng, &object, sentences), "visibility": visibility(&mut rng),
    });
    (card, org)
}

fn dedup(mut v: Vec<&str>) -> Vec<&str> {
    v.sort();
    v.dedup();
    v
}

fn slug(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' => 'e',
            'à' => 'a',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    folded
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// What kind of query it is, for the figures by class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Words,
    Phrase,
    Typo,
    Filtered,
}

impl Class {
    pub const ALL: [Class; 4] = [Class::Words, Class::Phrase, Class::Typo, Class::Filtered];

    pub fn name(self) -> &'static str {
        match self {
            Class::Words => "words",
            Class::Phrase => "phrase",
            Class::Typo => "typo",
            Class::Filtered => "words + filters",
        }
    }
}

/// A query: text, facet filters as `name=value` pairs, sort by date.
#[derive(Debug, Clone)]
pub struct Query {
    pub q: String,
    pub filters: Vec<(&'static str, String)>,
    pub by_date: bool,
    pub class: Class,
}

/// The fixed queries.
pub fn queries(n: usize) -> Vec<Query> {
    const TERMS: [&str; 30] = [
        "occupation coding",
        "imputation",
        "nowcasting",
        "satellite crop",
        "record linkage registers",
        "household expenditure",
        "transformers",
        "fasttext",
        "economie",
        "anomaly detection",
        "web scraping enterprises",
        "census",
        "consumer prices",
        "job vacancies",
        "time series",
        "explainability",
        "editing validation",
        "land cover imagery",
        "causes of death",
        "scanner data",
        "quality framework",
        "drift monitoring retraining",
        "clerical coding",
        "gradient boosting",
        "activité économique",
        "dépenses ménages",
        "tourism accommodation",
        "road traffic",
        "labour income",
        "energy",
    ];
    const PHRASES: [&str; 10] = [
        "\"occupation coding\"",
        "\"record linkage\"",
        "\"time series\"",
        "\"consumer prices\"",
        "\"job vacancies\"",
        "\"land cover\"",
        "\"causes of death\"",
        "\"scanner data\"",
        "\"confidence threshold\"",
        "\"données de caisse\"",
    ];
    let mut rng = Rng::new(0x5EA2C4);
    (0..n)
        .map(|_| {
            let kind = rng.below(100);
            let mut q = if kind < 15 {
                rng.pick(&PHRASES).to_string()
            } else {
                rng.pick(&TERMS).to_string()
            };
            if (15..35).contains(&kind) {
                q = typo(&mut rng, &q);
            }
            let mut filters = Vec::new();
            if kind >= 65 {
                for _ in 0..1 + rng.below(2) {
                    filters.push(match rng.below(6) {
                        0 => ("task", rng.pick(&TASKS).to_string()),
                        1 => ("kind", ["project", "model"][rng.below(2)].to_string()),
                        2 => ("language", rng.pick(&LANGUAGES[..4]).to_string()),
                        3 => ("organisation", rng.pick(&ORGANISATIONS[..12]).to_string()),
                        4 => ("stage", rng.pick(&STAGES).to_string()),
                        _ => ("framework", rng.pick(&FRAMEWORKS).to_string()),
                    });
                }
            }
            let class = match kind {
                0..15 => Class::Phrase,
                15..35 => Class::Typo,
                35..65 => Class::Words,
                _ => Class::Filtered,
            };
            Query {
                q,
                filters,
                by_date: rng.chance(10),
                class,
            }
        })
        .collect()
}

/// Drops, doubles or swaps a letter of the longest word.
fn typo(rng: &mut Rng, q: &str) -> String {
    let words: Vec<&str> = q.split(' ').collect();
    let Some((i, w)) = words
        .iter()
        .enumerate()
        .max_by_key(|(_, w)| w.chars().count())
    else {
        return q.to_string();
    };
    let mut chars: Vec<char> = w.chars().collect();
    if chars.len() < 5 {
        return q.to_string();
    }
    let at = 1 + rng.below(chars.len() - 2);
    match rng.below(3) {
        0 => {
            chars.remove(at);
        }
        1 => chars.insert(at, chars[at]),
        _ => chars.swap(at, at + 1),
    }
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[i] = chars.into_iter().collect();
    out.join(" ")
}
