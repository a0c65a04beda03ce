# Fails when a string an operator reads has no Chinese translation, including strings added to
# the code since the .ts file was last updated: lupdate runs on a copy of the .ts first.
# Usage: cmake -DLUPDATE=<exe> -DTS_FILE=<path> -DWORK_DIR=<dir> -DSOURCES=<dir|dir|file> -P ...
string(REPLACE "|" ";" SOURCES "${SOURCES}")
file(MAKE_DIRECTORY "${WORK_DIR}")
get_filename_component(name "${TS_FILE}" NAME)
set(copy "${WORK_DIR}/${name}")
file(COPY_FILE "${TS_FILE}" "${copy}")
execute_process(
    COMMAND "${LUPDATE}" -silent -no-obsolete -locations none -extensions cpp,h ${SOURCES} -ts "${copy}"
    RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "lupdate failed (${status})")
endif()

file(READ "${copy}" ts)
string(REGEX MATCHALL "<source>[^<]*</source>[ \t\r\n]*(<comment>[^<]*</comment>[ \t\r\n]*)?<translation type=\"unfinished\"" unfinished "${ts}")
string(REGEX MATCHALL "<message>" messages "${ts}")
list(LENGTH unfinished missing)
list(LENGTH messages total)
if(missing GREATER 0)
    list(JOIN unfinished "\n" text)
    message(FATAL_ERROR "${missing} of ${total} strings have no translation in ${TS_FILE}:\n${text}\n"
        "Run 'cmake --build build --target update_translations', then translate them.")
endif()
message(STATUS "${total} strings, all translated")
