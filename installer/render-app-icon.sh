#!/usr/bin/env bash
# Renders the application icon resources/icons/app/vigil.svg into the PNG sizes the Linux
# package installs (hicolor theme) and the Windows .ico (executable, installer, shortcuts).
# Run it after changing the SVG and commit the results; builds do not need these tools.
# Needs rsvg-convert (librsvg2-bin) and ImageMagick's convert (imagemagick).
set -euo pipefail

dir=$(cd "$(dirname "$0")/../resources/icons/app" && pwd)
svg="$dir/vigil.svg"
png_sizes=(16 22 24 32 48 64 128 256 512)
ico_sizes=(16 24 32 48 64 128 256)

for tool in rsvg-convert convert; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing (apt-get install librsvg2-bin imagemagick)" >&2; exit 1; }
done

for size in "${png_sizes[@]}"; do
    rsvg-convert --width "$size" --height "$size" "$svg" --output "$dir/vigil-$size.png"
done

# ImageMagick stores the 256 px entry as PNG and the smaller ones as 32-bit bitmaps, which every
# Windows version and NSIS read.
ico_inputs=()
for size in "${ico_sizes[@]}"; do
    ico_inputs+=("$dir/vigil-$size.png")
done
convert "${ico_inputs[@]}" "$dir/vigil.ico"
echo "rendered ${#png_sizes[@]} PNG sizes and vigil.ico into $dir"
