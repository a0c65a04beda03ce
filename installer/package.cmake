# Package metadata shared by every generator: included from installer/CMakeLists.txt, and by
# tests/installer/nsis, which builds the NSIS installer around stand-in programs on Linux.
set(CPACK_PACKAGE_NAME "vigil")
set(CPACK_PACKAGE_VENDOR "Vigil")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "GB/T 28181 video surveillance console and server")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Vigil")
set(CPACK_PACKAGE_EXECUTABLES "vigil" "Vigil")
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_STRIP_FILES ON)
# Values reach the generators as written here, without another round of CMake escaping.
set(CPACK_VERBATIM_VARIABLES ON)
set(VIGIL_PACKAGE_MAINTAINER "Vigil developers <vigil-gb28181@users.noreply.github.com>"
    CACHE STRING "Maintainer written into packages (Debian's Maintainer field)")
set(CPACK_PACKAGE_CONTACT "${VIGIL_PACKAGE_MAINTAINER}")
