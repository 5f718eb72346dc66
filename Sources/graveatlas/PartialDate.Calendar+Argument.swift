import ArgumentParser
import Store

/// `--calendar gregorian|solar_hijri`, by the names mapping files use.
///
/// ```sh
/// graveatlas import atlas.gpkg khavaran.csv --calendar solar_hijri
/// ```
extension PartialDate.Calendar: ExpressibleByArgument {}
