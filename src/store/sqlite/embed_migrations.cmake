# Writes a C++ file that holds every MIGRATIONS_DIR/NNNN_name.sql as a string, in order, returned by
# FUNCTION (sqliteMigrations, postgresMigrations).
file(GLOB sql_files "${MIGRATIONS_DIR}/*.sql")
list(SORT sql_files)
set(body "")
foreach(path IN LISTS sql_files)
  get_filename_component(stem "${path}" NAME_WE)
  string(REGEX MATCH "^([0-9]+)_(.*)$" _ "${stem}")
  math(EXPR version "${CMAKE_MATCH_1}")
  file(READ "${path}" sql)
  string(APPEND body "      {${version}, \"${CMAKE_MATCH_2}\", R\"anju_sql(${sql})anju_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from ${MIGRATIONS_DIR} by embed_migrations.cmake.\n#include \"store/migrations.h\"\n\nnamespace anju::store {\n\nconst std::vector<Migration>& ${FUNCTION}() {\n  static const std::vector<Migration> kMigrations = {\n${body}  };\n  return kMigrations;\n}\n\n}  // namespace anju::store\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
