// shapelib: the .shp/.shx/.dbf reader used by the shapefile importer.
#include <shapefil.h>
