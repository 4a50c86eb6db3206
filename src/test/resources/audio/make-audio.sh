#!/usr/bin/env bash
# Regenerates the test speech: espeak-ng (Debian) speaks each sentence, sox makes it
# 16 kHz mono signed 16-bit PCM WAV. Usage: src/test/resources/audio/make-audio.sh
set -euo pipefail
cd "$(dirname "$0")"
while IFS=$'\t' read -r file text; do
  [ "$file" = "file" ] && continue
  espeak-ng -v en-us -s 150 -w "/tmp/$file.raw.wav" "$text"
  sox "/tmp/$file.raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$file" pad 0.3 0.5
  rm -f "/tmp/$file.raw.wav"
done < sentences.tsv
