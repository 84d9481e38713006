# The addresses macvlans give their lower link, as bridge fdb show lists them: each up macvlan's
# MAC in the unicast list, and its IPv6 groups in the multicast list, which both links share.
# An entry keeps its place while either still has it, a new one goes last, and the lower link
# going down and up, a new MAC, an address flush and a deletion move them accordingly.
ip link add v0 type veth peer name v1
ip link add m0 link v0 type macvlan mode bridge
ip link add m1 link v0 type macvlan mode vepa
ip link set v0 up
ip link set v1 up
bridge fdb show dev v0
ip link set m0 up
bridge fdb show dev v0
ip link set m1 up
bridge fdb show dev v0
bridge fdb show dev m0
ip link set m0 down
bridge fdb show dev v0
ip link show v0
ip link set m0 up
bridge fdb show dev v0
ip link set m0 address 02:00:00:00:00:aa
bridge fdb show dev v0
ip link set m1 down
ip link set v0 down
bridge fdb show dev v0
ip link set v0 up
bridge fdb show dev v0
ip addr flush dev m0
bridge fdb show dev v0
ip link del m0
bridge fdb show dev v0
