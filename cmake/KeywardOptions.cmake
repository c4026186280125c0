# keyward_options: one INTERFACE target that carries the language level, warnings and the Qt
# strictness defines. Every target of the project links it, so the rules are set once.
add_library(keyward_options INTERFACE)
add_library(Keyward::options ALIAS keyward_options)

target_compile_features(keyward_options INTERFACE cxx_std_17)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_definitions(keyward_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_NO_KEYWORDS
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QT_MESSAGELOGCONTEXT
    KEYWARD_VERSION="${PROJECT_VERSION}")

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(keyward_options INTERFACE
        -Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Wcast-align
        -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        target_compile_options(keyward_options INTERFACE -Wshadow=local)
    endif()
    if(KEYWARD_WERROR)
        target_compile_options(keyward_options INTERFACE -Werror)
    endif()
    if(KEYWARD_FUZZ)
        # Coverage for libFuzzer everywhere; the fuzz binary links the fuzzer's main.
        target_compile_options(keyward_options INTERFACE
            -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
        target_link_options(keyward_options INTERFACE -fsanitize=address,undefined)
    elseif(KEYWARD_SANITIZE)
        target_compile_options(keyward_options INTERFACE
            -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
        target_link_options(keyward_options INTERFACE -fsanitize=address,undefined)
    endif()
endif()
