# Generates the demo clip with ffmpeg's test sources (cmake -P, called by app/CMakeLists.txt):
# 10 s of testsrc2 at 640x360, 25 fps, H.264 Constrained Baseline, a key frame every second, no
# B-frames, with the frame number and time burnt in when drawtext works without a font file
# (it needs fontconfig), and a 1 kHz/440 Hz G.711 A-law track of the same length.
# Variables: FFMPEG, VIDEO, AUDIO, SECONDS.

foreach(var FFMPEG VIDEO AUDIO SECONDS)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "generate-demo-media.cmake needs -D${var}=...")
    endif()
endforeach()

get_filename_component(dir "${VIDEO}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")

set(source "testsrc2=size=640x360:rate=25:duration=${SECONDS}")
set(text "drawtext=text='Vigil camsim  frame %{frame_num}  %{pts\\:hms}':x=16:y=16:fontsize=28:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6")
set(encode -c:v libx264 -profile:v baseline -preset veryfast -g 25 -keyint_min 25 -sc_threshold 0 -bf 0
    -pix_fmt yuv420p -b:v 1200k -f h264)

execute_process(
    COMMAND "${FFMPEG}" -hide_banner -loglevel error -y -f lavfi -i "${source}" -vf "${text}" ${encode} "${VIDEO}.tmp"
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(STATUS "demo clip: drawtext is not usable here; the clip has no burnt-in counter")
    execute_process(
        COMMAND "${FFMPEG}" -hide_banner -loglevel error -y -f lavfi -i "${source}" ${encode} "${VIDEO}.tmp"
        RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "ffmpeg could not encode the demo clip (is libx264 available?)")
    endif()
endif()
file(RENAME "${VIDEO}.tmp" "${VIDEO}")

execute_process(
    COMMAND "${FFMPEG}" -hide_banner -loglevel error -y -f lavfi
            -i "sine=frequency=440:beep_factor=2:sample_rate=8000:duration=${SECONDS}"
            -ac 1 -c:a pcm_alaw -f alaw "${AUDIO}.tmp"
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "ffmpeg could not encode the demo audio")
endif()
file(RENAME "${AUDIO}.tmp" "${AUDIO}")
