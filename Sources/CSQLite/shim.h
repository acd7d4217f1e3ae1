#ifndef TEMOIN_CSQLITE_SHIM_H
#define TEMOIN_CSQLITE_SHIM_H
#include <sqlite3.h>

// sqlite3_db_config is variadic, which Swift cannot call. Defensive mode (SQLite >= 3.26) forbids
// what only a hostile schema or statement needs: writable_schema, shadow-table writes, deliberate
// corruption. Returns SQLITE_OK, or an error when this SQLite does not know the option.
static inline int temoin_sqlite3_defensive(sqlite3 *db) {
#ifdef SQLITE_DBCONFIG_DEFENSIVE
    int enabled = 0;
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &enabled);
    return rc == SQLITE_OK && enabled == 1 ? SQLITE_OK : SQLITE_ERROR;
#else
    return SQLITE_ERROR;
#endif
}
#endif
