#!/bin/sh
# layers.sh [ROOT] : the layering rule of docs/architecture.md, checked on the
# sources.  Layers, bottom up: model/ (0), csrc/ (1), app/ (2, with its
# C++ room app/systemc/).  A file may include headers of its own layer and of
# the layers below, never above; model/ therefore includes nothing outside
# itself.  Every quoted #include in a .c, .cpp or .h file of those folders is
# resolved as the compiler would (a path
# relative to the file, else the file's own folder, else the layers' folders);
# an include that names no header of the three (a typo, or a header of
# testbench/) is an error too.  Prints each violation as FILE:LINE: message;
# exit 1 if there is one, 0 otherwise.
set -u
cd "${1:-.}" || exit 2
layers="model csrc app"
# the folders checked: each belongs to the layer of its first component
folders="model csrc app app/systemc"

# rank FOLDER: the layer number, 99 for a folder that is no layer
rank() {
    i=0
    for l in $layers; do
        [ "$l" = "$1" ] && { echo $i; return; }
        i=$((i + 1))
    done
    echo 99
}

bad=0 files=0 includes=0
for dir in $folders; do
    own=$(rank "${dir%%/*}")
    for f in "$dir"/*.c "$dir"/*.cpp "$dir"/*.h; do
        [ -f "$f" ] || continue
        files=$((files + 1))
        for entry in $(awk '/^[ \t]*#[ \t]*include[ \t]*"/ {
                               h = $0; sub(/^[^"]*"/, "", h); sub(/".*/, "", h); print FNR ":" h }' "$f"); do
            line=${entry%%:*} hdr=${entry#*:}
            includes=$((includes + 1))
            where=""
            case $hdr in
            */*) if [ -f "$dir/$hdr" ]; then
                     where=$(cd "$(dirname "$dir/$hdr")" && basename "$PWD")
                     [ "$where" = systemc ] && where=app
                 fi ;;
            *)   for l in $dir $layers; do
                     if [ -f "$l/$hdr" ]; then where=${l%%/*}; break; fi
                 done ;;
            esac
            if [ -z "$where" ] || [ "$(rank "$where")" -eq 99 ]; then
                echo "$f:$line: includes \"$hdr\", which is not a header of model/, csrc/ or app/"
                bad=$((bad + 1))
            elif [ "$(rank "$where")" -gt "$own" ]; then
                echo "$f:$line: $dir/ includes \"$hdr\" of $where/, a higher layer (docs/architecture.md, Layers)"
                bad=$((bad + 1))
            fi
        done
    done
done
if [ "$bad" -ne 0 ]; then
    echo "layers: $bad include(s) pointing up or outside, in $files files"
    exit 1
fi
echo "layers: $files files, $includes includes, all pointing down (app -> csrc -> model)"
