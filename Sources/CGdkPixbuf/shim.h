#ifndef TEMOIN_CGDKPIXBUF_SHIM_H
#define TEMOIN_CGDKPIXBUF_SHIM_H
// gdk-pixbuf decodes the photos and scans given as proof of a step (PNG, JPEG, GIF, TIFF, and WEBP,
// HEIC, AVIF where their loaders are installed) so the dossier can draw them on A4 pages.
#include <gdk-pixbuf/gdk-pixbuf.h>
#endif
