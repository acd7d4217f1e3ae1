#ifndef TEMOIN_CPANGOCAIRO_SHIM_H
#define TEMOIN_CPANGOCAIRO_SHIM_H
// cairo draws the dossier's pages and charts; pango lays out its text (DejaVu through fontconfig).
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
#endif
