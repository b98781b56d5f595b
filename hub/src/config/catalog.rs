//! Catalogue settings: `[catalog]` in the TOML file, or `AGORA_CATALOG__<KEY>`.

use serde::{Deserialize, Serialize};

/// How the DCAT-AP catalogue describes itself and who publishes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CatalogConfig {
    /// The catalogue's title (`AGORA_CATALOG__TITLE`).
    pub title: String,
    /// What the catalogue holds, in a sentence or two (`AGORA_CATALOG__DESCRIPTION`).
    pub description: String,
    /// The name of the body that runs the hub and publishes the catalogue
    /// (`AGORA_CATALOG__PUBLISHER`).
    pub publisher: String,
    /// The publisher's web site (`AGORA_CATALOG__PUBLISHER_URL`).
    pub publisher_url: Option<url::Url>,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        Self {
            title: "Agora".into(),
            description: "Machine learning projects and model cards that official statistics \
                          offices share on Agora, with their evaluation results."
                .into(),
            publisher: "Agora hub".into(),
            publisher_url: None,
        }
    }
}

#[cfg(test)]
// figment's `Jail` fixes the closures' error type.
#[allow(clippy::result_large_err)]
mod tests {
    use std::path::Path;

    use super::super::Config;

    #[test]
    fn catalogue_settings_come_from_the_file_and_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "hub.toml",
                "[catalog]\ntitle = \"UNECE ML catalogue\"\npublisher_url = \"https://unece.org\"\n",
            )?;
            jail.set_env("AGORA_CATALOG__PUBLISHER", "UNECE HLG-MOS");
            let c = Config::load(Some(Path::new("hub.toml"))).unwrap();
            assert_eq!(c.catalog.title, "UNECE ML catalogue");
            assert_eq!(c.catalog.publisher, "UNECE HLG-MOS");
            assert_eq!(
                c.catalog.publisher_url.as_ref().map(|u| u.as_str()),
                Some("https://unece.org/")
            );
            assert_eq!(
                c.catalog.description,
                super::CatalogConfig::default().description
            );
            jail.create_file("bad.toml", "[catalog]\ntitel = \"x\"\n")?;
            assert!(Config::load(Some(Path::new("bad.toml"))).is_err());
            Ok(())
        });
    }
}
