/// GeoJSON fixtures written for the import tests: real-looking sites with names in Persian,
/// Spanish and English, attributes of every type, points and polygons with holes.
enum SampleData {
    /// Sites around Tehran with Persian names (for Windows-1256 and EPSG:32639).
    static let iranPoints = """
    {"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"NAME":"خاوران","TYPE":"mass_grave","VICTIMS":300,"AREA":1.25},
     "geometry":{"type":"Point","coordinates":[51.4711,35.6311]}},
    {"type":"Feature","properties":{"NAME":"لعنت‌آباد","TYPE":"suspected_site","VICTIMS":null,"AREA":0.0},
     "geometry":{"type":"Point","coordinates":[51.5012,35.6120]}}
    ]}
    """

    /// Polygons near Tehran, with holes and a multipolygon, Persian names.
    static let iranPolygons = """
    {"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"NAME":"گورستان بهشت زهرا","TYPE":"cemetery","VICTIMS":0,"AREA":2.5},
     "geometry":{"type":"Polygon","coordinates":[[[51.30,35.50],[51.36,35.50],[51.36,35.55],[51.30,35.55],[51.30,35.50]],
       [[51.32,35.51],[51.33,35.52],[51.32,35.52],[51.32,35.51]]]}},
    {"type":"Feature","properties":{"NAME":"اهواز، بلوار پرواز","TYPE":"mass_grave","VICTIMS":44,"AREA":0.5},
     "geometry":{"type":"MultiPolygon","coordinates":[
       [[[51.60,35.70],[51.62,35.70],[51.62,35.72],[51.60,35.72],[51.60,35.70]],
        [[51.605,35.705],[51.61,35.71],[51.605,35.71],[51.605,35.705]]],
       [[[51.65,35.70],[51.66,35.70],[51.66,35.71],[51.65,35.71],[51.65,35.70]]]]}}
    ]}
    """

    /// Spanish Civil War graves with accented names (for UTF-8, Windows-1252 and ISO-8859-1).
    static let spain = """
    {"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"NOMBRE":"Fosa de Paterna","ESTADO":"CONFIRMADA","NUM":2238},
     "geometry":{"type":"Point","coordinates":[-0.4437,39.5028]}},
    {"type":"Feature","properties":{"NOMBRE":"Cañada de los Mártires, Víznar","ESTADO":"CONFIRMADA","NUM":100},
     "geometry":{"type":"Point","coordinates":[-3.5503,37.2331]}},
    {"type":"Feature","properties":{"NOMBRE":"Fosa común de Calatañazor (Soria)","ESTADO":"POSIBLE","NUM":null},
     "geometry":{"type":"Point","coordinates":[-2.8167,41.7000]}}
    ]}
    """

    /// A site on Long Island (for EPSG:2263, US feet).
    static let newYork = """
    {"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"name":"Hart Island trench 1","victims":1000},
     "geometry":{"type":"Polygon","coordinates":[[[-73.772,40.852],[-73.770,40.852],[-73.770,40.853],[-73.772,40.853],[-73.772,40.852]]]}},
    {"type":"Feature","properties":{"name":"Hart Island pier","victims":0},
     "geometry":{"type":"Polygon","coordinates":[[[-73.7715,40.8492],[-73.7711,40.8492],[-73.7711,40.8495],[-73.7715,40.8492]]]}}
    ]}
    """

    /// Features with a null geometry between two points.
    static let withNulls = """
    {"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"ID":1},"geometry":{"type":"Point","coordinates":[10,20]}},
    {"type":"Feature","properties":{"ID":2},"geometry":null},
    {"type":"Feature","properties":{"ID":3},"geometry":{"type":"Point","coordinates":[11,21]}}
    ]}
    """
}
