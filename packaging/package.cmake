# What `cmake --install` puts where, and the Debian package CPack makes of it (docs/deploy.md).
include(GNUInstallDirs)

install(TARGETS anju RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The console and portal, built by scripts/build-web.sh before packaging.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/dist/ DESTINATION ${CMAKE_INSTALL_DATADIR}/anju/web
        OPTIONAL)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/anju.service DESTINATION /lib/systemd/system)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/anju.toml DESTINATION /etc/anju)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/nginx-anju.conf ${PROJECT_SOURCE_DIR}/docs/deploy.md
              ${PROJECT_SOURCE_DIR}/docs/operations.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(ANJU_PACKAGE_MAINTAINER "Anju developers" CACHE STRING "The Debian package's Maintainer field")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME anju)
set(CPACK_PACKAGE_VENDOR "Anju")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Smart safe communities and grassroots governance (安居)")
set(CPACK_PACKAGE_CONTACT "${ANJU_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# The shared libraries the binary links come from dpkg-shlibdeps, so the target machine installs
# exactly the Debian packages it needs.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nginx")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mosquitto, postgresql")
# The settings file is a conffile: upgrades keep the operator's edits. postinst creates the user.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_LIST_DIR}/conffiles
                                       ${CMAKE_CURRENT_LIST_DIR}/postinst)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
