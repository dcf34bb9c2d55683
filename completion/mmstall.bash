# SPDX-License-Identifier: GPL-2.0
# bash completion for mmstall(8): commands, each command's options, sort
# keys and classes, files after -f/-o and directories after --dir.
# Installed as /usr/share/bash-completion/completions/mmstall; works
# without the bash-completion package too.

_mmstall_commands="status report hist top reset snapshot export events"
_mmstall_classes="rwsem_read rwsem_write slab_refill direct_reclaim memcg_reclaim compaction"
_mmstall_sort_keys="total max count calls blocked"
_mmstall_common="-h --help -d --dir -f --file"

# The options of command $1 (the global ones for "").
_mmstall_options()
{
	case $1 in
	"") echo "$_mmstall_common -V --version" ;;
	status | reset) echo "$_mmstall_common" ;;
	report) echo "-h --help --dir -f --file -d --duration -o --output -j --json" ;;
	hist) echo "$_mmstall_common -p --pid -c --comm -C --class -m --milliseconds" ;;
	top) echo "$_mmstall_common -s --sort -p --pid -c --comm -C --class -r --rows -a --all -b --batch" ;;
	snapshot) echo "$_mmstall_common -o --output" ;;
	export) echo "$_mmstall_common -p --prometheus -o --output -t --top -i --interval" ;;
	events) echo "$_mmstall_common -t --threshold -n --count -j --json" ;;
	esac
}

# Does option $2 of command $1 take an argument?
_mmstall_takes_arg()
{
	case $1:$2 in
	*:-d | *:--dir | *:-f | *:--file | *:-o | *:--output) return 0 ;;
	report:--duration) return 0 ;;
	hist:-p | hist:--pid | hist:-c | hist:--comm | hist:-C | hist:--class) return 0 ;;
	top:-s | top:--sort | top:-p | top:--pid | top:-c | top:--comm) return 0 ;;
	top:-C | top:--class | top:-r | top:--rows) return 0 ;;
	export:-t | export:--top | export:-i | export:--interval) return 0 ;;
	events:-t | events:--threshold | events:-n | events:--count) return 0 ;;
	esac
	return 1
}

_mmstall_files()
{
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

_mmstall_dirs()
{
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -d -- "$1")
}

_mmstall_words()
{
	mapfile -t COMPREPLY < <(compgen -W "$1" -- "$2")
}

_mmstall()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=""
	local cmd="" i w pids

	COMPREPLY=()
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# The command: the first word that is not an option or its argument.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-*) _mmstall_takes_arg "$cmd" "$w" && ((i++)) ;;
		*) [ -z "$cmd" ] && cmd=$w ;;
		esac
	done

	case $prev in
	-f | --file | -o | --output)
		_mmstall_files "$cur"
		return 0
		;;
	--dir)
		_mmstall_dirs "$cur"
		return 0
		;;
	-d)
		# report's -d is its duration: a number
		[ "$cmd" = report ] || _mmstall_dirs "$cur"
		return 0
		;;
	-s | --sort)
		[ "$cmd" = top ] && _mmstall_words "$_mmstall_sort_keys" "$cur"
		return 0
		;;
	-C | --class)
		_mmstall_words "$_mmstall_classes" "$cur"
		return 0
		;;
	-p | --pid)
		if [ "$cmd" = hist ] || [ "$cmd" = top ]; then
			pids=$(cd /proc 2>/dev/null && compgen -G '[0-9]*')
			_mmstall_words "$pids" "$cur"
			return 0
		fi
		;;
	esac
	if [ -n "$prev" ] && _mmstall_takes_arg "$cmd" "$prev"; then
		return 0	# a number or a name: nothing to offer
	fi

	if [[ $cur == -* ]]; then
		_mmstall_words "$(_mmstall_options "$cmd")" "$cur"
	elif [ -z "$cmd" ]; then
		_mmstall_words "$_mmstall_commands" "$cur"
	fi
	return 0
}

complete -F _mmstall mmstall
