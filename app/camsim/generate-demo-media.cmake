# Generates the demo clips with ffmpeg's test sources (cmake -P, called by app/CMakeLists.txt):
# SECONDS of testsrc2 at 25 fps, H.264 Constrained Baseline, a key frame every second, no
# B-frames, with the frame number and time burnt in when drawtext works without a font file
# (it needs fontconfig): the main stream at 640x360 and 1200 kb/s, the sub stream (what camsim
# plays for INVITEs asking for stream 1) at 320x180 and 512 kb/s, marked "sub"; and a
# 1 kHz/440 Hz G.711 A-law track of the same length.
# Variables: FFMPEG, VIDEO, SUB_VIDEO, AUDIO, SECONDS.

foreach(var FFMPEG VIDEO SUB_VIDEO AUDIO SECONDS)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "generate-demo-media.cmake needs -D${var}=...")
    endif()
endforeach()

get_filename_component(dir "${VIDEO}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")

# Encodes one clip of SIZE at BITRATE to OUTPUT, with LABEL and the counter burnt in at FONTSIZE,
# MARGIN pixels from the top left corner on a box BORDER pixels wider than the text.
function(generate_demo_clip output size bitrate label fontsize margin border)
    set(source "testsrc2=size=${size}:rate=25:duration=${SECONDS}")
    set(text "drawtext=text='${label}frame %{frame_num}  %{pts\\:hms}':x=${margin}:y=${margin}:fontsize=${fontsize}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=${border}")
    set(encode -c:v libx264 -profile:v baseline -preset veryfast -g 25 -keyint_min 25 -sc_threshold 0 -bf 0
        -pix_fmt yuv420p -b:v ${bitrate} -f h264)
    execute_process(
        COMMAND "${FFMPEG}" -hide_banner -loglevel error -y -f lavfi -i "${source}" -vf "${text}" ${encode} "${output}.tmp"
        RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(STATUS "demo clip ${size}: drawtext is not usable here; the clip has no burnt-in counter")
        execute_process(
            COMMAND "${FFMPEG}" -hide_banner -loglevel error -y -f lavfi -i "${source}" ${encode} "${output}.tmp"
            RESULT_VARIABLE result)
        if(NOT result EQUAL 0)
            message(FATAL_ERROR "ffmpeg could not encode the demo clip (is libx264 available?)")
        endif()
    endif()
    file(RENAME "${output}.tmp" "${output}")
endfunction()

generate_demo_clip("${VIDEO}" 640x360 1200k "Vigil camsim  " 28 16 6)
generate_demo_clip("${SUB_VIDEO}" 320x180 512k "camsim sub  " 14 8 3)

execute_process(
    COMMAND "${FFMPEG}" -hide_banner -loglevel error -y -f lavfi
            -i "sine=frequency=440:beep_factor=2:sample_rate=8000:duration=${SECONDS}"
            -ac 1 -c:a pcm_alaw -f alaw "${AUDIO}.tmp"
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "ffmpeg could not encode the demo audio")
endif()
file(RENAME "${AUDIO}.tmp" "${AUDIO}")
