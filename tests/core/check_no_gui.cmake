# Fails when a file under core/ includes QtGui, QtWidgets or QtOpenGL headers.
# Usage: cmake -DCORE_DIR=<path> -P check_no_gui.cmake
file(GLOB_RECURSE files "${CORE_DIR}/*.h" "${CORE_DIR}/*.cpp" "${CORE_DIR}/*.in")
set(offenders)
foreach(file IN LISTS files)
    file(STRINGS "${file}" hits REGEX
        "#[ \t]*include[ \t]*[<\"](QtGui|QtWidgets|QtOpenGL|QtOpenGLWidgets|QWidget|QOpenGL|QPainter|QImage|QPixmap|QApplication|QGuiApplication|QColor|QFont)")
    if(hits)
        list(APPEND offenders "${file}: ${hits}")
    endif()
endforeach()
if(offenders)
    list(JOIN offenders "\n" text)
    message(FATAL_ERROR "GUI includes in core/ (core links Qt Core, Network and Sql only):\n${text}")
endif()
list(LENGTH files count)
message(STATUS "core/: ${count} files, no GUI includes")
