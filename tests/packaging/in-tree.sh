# shellcheck shell=bash
# tests/packaging/in-tree.sh: mmstall built inside a kernel tree with
# CONFIG_MMSTALL=m after scripts/graft-into-kernel.sh (sourced by run.sh,
# after lib.sh). Uses REPO, LOGS, SCRATCH.
#
# test_in_tree: in place (objects beside the sources), in a copy of the
#   6.1-slab tree of tests/vm/slab-kernel.sh when it has been built (about
#   1.6 GB in SCRATCH); modpost has its vmlinux there.
# test_in_tree_o SERIES: with O= (objects elsewhere), in a hard-linked copy of
#   linux-source-SERIES prepared by tests/packaging/kernel-tree.sh. This is
#   where $(src) differs: relative to $(srctree) before 6.10, starting with
#   it from 6.10 on. No vmlinux there: unresolved symbols are warnings.
# Both check that the module is marked intree, its vermagic, and that every
# mmstall include directory on the compiler's command line exists (a wrong
# $(src) gives nonexistent ones, which gcc ignores silently).

KO_TARGET=drivers/misc/mmstall/module/mmstall.ko

# graft_config TREE OBJ: mmstall grafted into TREE and CONFIG_MMSTALL=m in
# OBJ/.config (OBJ is TREE for an in-place build).
graft_config() {
	# Called as a condition, so no set -e here: chain with &&.
	"$REPO/scripts/graft-into-kernel.sh" "$1" &&
		"$1/scripts/config" --file "$2/.config" --module MMSTALL &&
		make -C "$1" O="$2" olddefconfig &&
		grep -x CONFIG_MMSTALL=m "$2/.config"
}

# include_dirs_exist OBJ: every -I of main.o's command line that names
# mmstall is a directory (relative ones are relative to OBJ, where the
# compiler ran).
include_dirs_exist() {
	local cmd=$1/drivers/misc/mmstall/module/.main.o.cmd d bad=() n=0
	[ -f "$cmd" ] || { echo "no $cmd"; return 1; }
	while read -r d; do
		d=${d#-I}
		n=$((n + 1))
		case $d in /*) ;; *) d=$1/$d ;; esac
		[ -d "$d" ] || bad+=("$d")
	done < <(grep -m1 -E '^(saved)?cmd_' "$cmd" | grep -o -- '-I[^ ]*mmstall[^ ]*')
	echo "$n include directories of mmstall on main.o's command line"
	[ "$n" -gt 0 ] || return 1
	[ ${#bad[@]} -eq 0 ] || { echo "missing: ${bad[*]}"; return 1; }
}

# copy_in_place SRC TREE: TREE a full copy of SRC, grafted.
copy_in_place() {
	cp -a "$1" "$2" && graft_config "$2" "$2"
}

# copy_linked SRC SRC_OBJ TREE OBJ: TREE a hard-linked copy of SRC, OBJ a
# copy of SRC_OBJ; grafted.
copy_linked() {
	cp -al "$1" "$3" && cp -a "$2" "$4" && graft_config "$3" "$4"
}

# build_in_tree TAG NAME TREE OBJ: build the module in TREE (objects in OBJ)
# and check it; NAME in the results, TAG in the logs' names.
build_in_tree() {
	local tag=$1 name=$2 tree=$3 obj=$4 ko=$4/$KO_TARGET release warn=()
	[ -f "$obj/Module.symvers" ] || warn=(KBUILD_MODPOST_WARN=1)
	step "$name: make $KO_TARGET" "$LOGS/$tag-build.log" \
		make -C "$tree" O="$obj" -j2 "${warn[@]}" "$KO_TARGET" || return 0
	if [ "$(modinfo -F intree "$ko")" = Y ]; then
		tap_ok "$name: mmstall.ko is marked intree"
	else
		tap_fail "$name: mmstall.ko is marked intree"
	fi
	release=$(make -s -C "$tree" O="$obj" kernelrelease)
	step "$name: vermagic $release" "$LOGS/$tag-vermagic.log" \
		vermagic_is "$release" "$ko" || true
	step "$name: module/Kbuild's include directories exist" \
		"$LOGS/$tag-include.log" include_dirs_exist "$obj" || true
}

test_in_tree() {
	local d src='' tree=$SCRATCH/linux
	# a whole configured tree (a fetched kernel's build is headers only)
	for d in "$(kernel_cache_dir)"/by-release/*/build; do
		[ -f "$d/.config" ] && [ -f "$d/drivers/misc/Kconfig" ] &&
			{ src=$(readlink -f "$d"); break; }
	done
	if [ -z "$src" ]; then
		tap_skip "in-tree build" "no configured kernel tree (tests/vm/slab-kernel.sh builds one)"
		return 0
	fi
	if step "in-tree: copy $src, graft-into-kernel.sh, CONFIG_MMSTALL=m" \
		"$LOGS/in-tree-graft.log" copy_in_place "$src" "$tree"; then
		build_in_tree in-tree in-tree "$tree" "$tree"
	fi
	rm -rf "$tree"
}

test_in_tree_o() {
	local series=$1 name="in-tree $1 (O=)" tag=in-tree-$1-o info src obj
	local tree=$SCRATCH/linux-$1 objd=$SCRATCH/obj-$1
	if ! info=$("$REPO/tests/packaging/kernel-tree.sh" "$series" \
		2>"$LOGS/kernel-tree-$series.log"); then
		tap_fail "$name: linux-source-$series prepared (tests/packaging/kernel-tree.sh)"
		tap_diag "$(tail -n 20 "$LOGS/kernel-tree-$series.log")"
		return 0
	fi
	src=$(sed -n 's/^src=//p' <<<"$info")
	obj=$(sed -n 's/^obj=//p' <<<"$info")
	if step "$name: linked copy of linux-source-$series, graft-into-kernel.sh, CONFIG_MMSTALL=m" \
		"$LOGS/$tag-graft.log" copy_linked "$src" "$obj" "$tree" "$objd"; then
		build_in_tree "$tag" "$name" "$tree" "$objd"
	fi
	rm -rf "$tree" "$objd"
}
