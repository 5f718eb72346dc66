// PROJ's public API and its geodesic routines (Karney's algorithms, shipped inside libproj).
#include <proj.h>
#include <geodesic.h>
