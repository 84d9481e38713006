# The options after "type macvlan", as iproute2 6.1 parses them. It reads every word before it
# checks the flags against the mode, so a bad word anywhere gets its own error first. nopromisc
# is only valid in passthru mode, bclim is unknown to this version, a missing value is an
# incomplete command line, and "flag null" changes nothing.
ip link add v0 type veth peer name v1
ip link add m3 link v0 type macvlan mode bridge nopromisc
ip link add m3 link v0 type macvlan nopromisc
ip link add m3 link v0 type macvlan flag nopromisc mode vepa
ip link add m3 link v0 type macvlan flag bogus
ip link add m3 link v0 type macvlan flag
ip link add m3 link v0 type macvlan nodst bogus
ip link add m3 link v0 type macvlan bclim 5
ip link add m3 link v0 type macvlan bcqueuelen x
ip link add m3 link v0 type macvlan bcqueuelen -1
ip link add m3 link v0 type macvlan mode passthru bogus
ip link add m3 link v0 type macvlan mode passthru nopromisc bogus
ip link add m3 link v0 type macvlan macaddr bogus
ip link add m3 link v0 type macvlan macaddr add zz
ip link add m3 link v0 type macvlan mode
ip link add m3 link v0 type macvlan help
ip link add m3 link v0 type macvlan mode bridge mode bogus
ip link add m3 link v0 type macvlan flag null mode bridge
ip -br link show m3
