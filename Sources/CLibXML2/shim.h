#ifndef TEMOIN_CLIBXML2_SHIM_H
#define TEMOIN_CLIBXML2_SHIM_H
// Debian's libxml2 headers pull in ICU, whose headers clash with Foundation's:
// read the version header first, then turn the ICU switch off before the rest.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

// xmlFree is a global function pointer, which Swift 6 sees as shared mutable state: call it here.
static inline void temoin_xml_free(void *pointer) { xmlFree(pointer); }
#endif
