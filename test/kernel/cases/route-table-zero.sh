# Table 0 (unspecified, or unspec by name) means main for an add or a delete, and every table
# for a listing.
ip route add blackhole 10.0.0.0/24 table 0
ip route show
ip -4 route show table 0
ip route del blackhole 10.0.0.0/24 table 0
ip route show
ip route add blackhole 10.1.0.0/24 table 00
ip route show table main
ip route add blackhole 10.2.0.0/24 table unspec
ip -4 route show table unspec
