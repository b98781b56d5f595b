//! `agora-hub seed-demo`.

use crate::app;
use crate::config::Config;
use crate::error::Result;

pub async fn run(config: Config) -> Result<()> {
    let db = app::pool(&config)?;
    app::migrate(&db).await?;
    let report = crate::demo::seed(&db).await?;
    print!("{report}");
    if report.changed() == 0 {
        println!("the demo data was already loaded: nothing changed");
    }
    Ok(())
}
