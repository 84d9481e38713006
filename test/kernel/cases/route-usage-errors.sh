# ip route add and del without a destination print the usage. Metric values are read as
# strtoul reads them, with leading spaces and a plus sign.
ip route add
ip route add dev lo
ip route del
ip route add 10.1.0.0/16 dev lo metric +5
ip route add 10.2.0.0/16 dev lo metric " 6"
ip route show
