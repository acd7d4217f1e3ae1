import TemoinKit
print(Temoin.version)
